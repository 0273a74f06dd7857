/* ${module} for ${kernel.major}.${kernel.minor} (${kernel.release}) & <stdio.h> */
char s[] = "#{x}";
<#if module != "lab_ok">
int n = ${nope};
</#if>
